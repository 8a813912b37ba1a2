// The generated library the search benches run on: meetings of 1000 segments (Chinese, English and mixed sentences,
// two or three speakers, every third one named from a small cast), stored through the real repository. Building
// 600,000 segments takes minutes, so the file is kept in .cache/bench/ and copied for each run.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { libraryFileOf } from '../src-main/application/library-maintenance.js';
import { openDatabase } from '../src-main/store/database.js';
import type { NewMeeting } from '../src-main/store/new-meeting.js';
import { MeetingRepository } from '../src-main/store/meetings-repo.js';
import { seededRandom } from '../src-main/util/seeded-random.js';

const ZH_WORDS = `
我们 你们 他们 今天 明天 昨天 上午 下午 晚上 现在 刚才 已经 还是 但是 因为 所以 如果 虽然 然后 而且
项目 预算 时间 安排 会议 讨论 计划 进度 问题 方案 客户 产品 市场 销售 团队 经理 老板 同事 部门 公司
技术 开发 测试 上线 版本 功能 需求 设计 文档 数据 系统 服务 用户 反馈 体验 质量 成本 收入 利润 合同
目标 结果 风险 资源 流程 规范 标准 报告 总结 分析 评估 审核 确认 调整 优化 改进 提高 降低 增加 减少
完成 开始 结束 继续 推进 落实 执行 负责 协调 沟通 配合 支持 帮助 解决 处理 准备 提交 发布 更新 修改
周一 周二 周三 周四 周五 本周 下周 上周 月底 年底 季度 年度 每天 每周 每月 一下 一点 一些 这个 那个
大家 觉得 认为 建议 希望 需要 可以 应该 必须 可能 一定 非常 比较 特别 主要 重要 关键 基本 具体 整体
北京 上海 深圳 广州 杭州 成都 南京 武汉 西安 天津 国内 海外 线上 线下 渠道 平台 合作 伙伴 供应 采购
财务 人事 行政 法务 运营 品牌 推广 活动 预测 指标 考核 绩效 奖金 工资 招聘 培训 面试 入职 离职 团建
服务器 数据库 接口 代码 架构 模块 性能 安全 漏洞 部署 监控 日志 备份 迁移 升级 兼容 配置 环境 网络 存储
电脑 手机 软件 硬件 设备 工具 资料 邮件 电话 视频 语音 文字 图片 表格 演示 白板 会议室 投影 屏幕 耳机
价格 折扣 订单 库存 物流 发货 退货 售后 投诉 满意 评价 口碑 竞争 对手 优势 劣势 机会 挑战 趋势 政策
人工智能 机器学习 语音识别 项目管理 用户体验 市场营销 数据分析 产品经理 技术方案 时间安排
的 了 和 是 在 有 也 就 都 要 会 把 给 跟 对 从 到 让 被 很
`
  .split(/\s+/)
  .filter(Boolean);

const EN_WORDS = `
the a we our team project budget schedule meeting review plan release customer product market sales
should will need to for and with this next week quarter report design feature test deploy server database
user feedback quality cost revenue margin contract goal risk resource process update deadline launch
agree discuss decide follow up action item owner priority estimate milestone sprint backlog roadmap
is are was were be have has can could would must maybe really very quite about around before after
marketing engineering finance support hiring interview training analytics dashboard metrics growth
`
  .split(/\s+/)
  .filter(Boolean);

/** The names users gave speakers in the generated library. */
export const CAST = ['王经理', '李娜', 'Alice', 'Bob', '张伟', 'Carol'];

const SEGMENTS_PER_MEETING = 1000;

/** One generated sentence: 60 % Chinese, 30 % English, 10 % mixed. */
function sentence(random: () => number): string {
  const pick = (list: readonly string[]): string => list[Math.floor(random() * list.length)]!;
  const words = (list: readonly string[], min: number, max: number): string[] =>
    Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => pick(list));
  const r = random();
  if (r < 0.6) return `${words(ZH_WORDS, 6, 14).join('')}。`;
  if (r < 0.9) {
    const text = words(EN_WORDS, 6, 14).join(' ');
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  }
  return `${words(ZH_WORDS, 3, 6).join('')} ${words(EN_WORDS, 1, 3).join(' ')} ${words(ZH_WORDS, 3, 6).join('')}。`;
}

/** One generated meeting of `count` segments, two or three speakers, created at `createdAt`. */
function meeting(random: () => number, index: number, count: number, createdAt: number): NewMeeting {
  // Every third speaker has a name a user gave, from a small cast, so the speaker filter spans many meetings.
  const speakers = Array.from({ length: 2 + (index % 2) }, (_, i) => ({
    label: `Speaker ${i + 1}`,
    name: (index + i) % 3 === 0 ? CAST[(index + i) % CAST.length] : undefined,
  }));
  const segments = Array.from({ length: count }, (_, i) => ({
    startMs: i * 4000,
    endMs: i * 4000 + 3500,
    text: sentence(random),
    tokens: [],
    speakerIndex: i % speakers.length,
  }));
  return {
    title: `Meeting ${index + 1}`,
    source: `meeting-${index + 1}.m4a`,
    durationMs: count * 4000,
    createdAt,
    speakers,
    segments,
  };
}

/** Fills the database with generated meetings of 1000 segments through the real repository; returns the wall time in ms. */
export function generate(db: Database, segments: number): number {
  const repo = new MeetingRepository(db);
  const random = seededRandom(20261123);
  const meetings = Math.ceil(segments / SEGMENTS_PER_MEETING);
  const start = performance.now();
  const base = Date.UTC(2025, 0, 1);
  for (let i = 0; i < meetings; i++) {
    const count = Math.min(SEGMENTS_PER_MEETING, segments - i * SEGMENTS_PER_MEETING);
    // Creation times are shuffled against insertion order, as imports of old recordings would make them.
    const createdAt = base + Math.floor(random() * 700) * 86_400_000 + i;
    repo.create(meeting(random, i, count, createdAt));
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  return performance.now() - start;
}

/** Bump when the generated content changes, so an older cached library is not reused. */
const GENERATOR_VERSION = 1;

const CACHE_DIR = join(import.meta.dirname, '../.cache/bench');

/**
 * Copies a generated library of `segments` segments into `dataDir` as its library file (building and caching it
 * first when .cache/bench/ has none); returns the seconds spent building, 0 when the cached one was used.
 */
export function copyGeneratedLibrary(segments: number, dataDir: string): number {
  const cached = join(CACHE_DIR, `search-${segments}-v${GENERATOR_VERSION}.sqlite`);
  let builtSeconds = 0;
  if (!existsSync(cached)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    const building = `${cached}.building`;
    rmSync(building, { force: true });
    const db = openDatabase(building);
    try {
      builtSeconds = generate(db, segments) / 1000;
    } finally {
      db.close();
    }
    renameSync(building, cached);
  }
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(cached, libraryFileOf(dataDir));
  return builtSeconds;
}
