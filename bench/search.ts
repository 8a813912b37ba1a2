// Search benchmark: 600,000 generated meeting segments (Chinese, English and mixed) in a temp SQLite file;
// FTS5 search as the app runs it, side by side with a LIKE scan that returns the same rows in the same order.
// Run: npx tsx bench/search.ts [segments]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Database } from 'better-sqlite3';
import type { SearchOrder, SearchRequest } from '../src-shared/types.js';
import type { NewMeeting } from '../src-main/store/new-meeting.js';
import { openDatabase } from '../src-main/store/database.js';
import { MeetingRepository } from '../src-main/store/meetings-repo.js';
import { SearchService } from '../src-main/store/search.js';
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

/** Queries measured: each occurs in the generated data. */
const QUERIES: { label: string; query: string }[] = [
  { label: 'zh 2 chars', query: '预算' },
  { label: 'zh 4 chars', query: '数据分析' },
  { label: 'zh 3 chars (word pair)', query: '项目预' },
  { label: 'en word', query: 'budget' },
];

/** The names users gave speakers in the generated library. */
const CAST = ['王经理', '李娜', 'Alice', 'Bob', '张伟', 'Carol'];

const RUNS = 60;
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

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `fn` RUNS times (after one warm-up) and returns p50, p95 and what the last run returned. */
function measure(fn: () => number): { p50: number; p95: number; hits: number } {
  let hits = fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    hits = fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), hits };
}

interface Row {
  query: string;
  method: string;
  p50: number;
  p95: number;
  hits: number;
}

function printTable(rows: readonly Row[]): void {
  const cells = rows.map((r) => [r.query, r.method, r.p50.toFixed(2), r.p95.toFixed(2), String(r.hits)]);
  const header = ['query', 'method', 'p50 ms', 'p95 ms', 'hits (page+total: total)'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => c.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  for (const c of cells) console.log(line(c));
}

/**
 * The typed query to a page of results (titles, named speakers and sentences with the total) under each filter the
 * search panel offers: a date range of the last 90 days, one speaker name, one meeting, and all three with paging.
 */
function filteredRows(search: SearchService, name: string, query: string, db: Database): Row[] {
  const newest = db
    .prepare<[], { id: number; created_at: number }>(
      'SELECT id, created_at FROM meetings ORDER BY created_at DESC LIMIT 1',
    )
    .get()!;
  const from = newest.created_at - 90 * 86_400_000;
  const requests: { method: string; req: SearchRequest }[] = [
    { method: 'page+total, 90 days', req: { query, from, to: newest.created_at } },
    { method: 'page+total, speaker', req: { query, speaker: CAST[0]! } },
    { method: 'page+total, meeting', req: { query, meetingId: newest.id } },
    { method: 'page 2+total, all 3', req: { query, from, speaker: CAST[0]!, offset: 50, order: 'newest' } },
  ];
  return requests.map(({ method, req }) => ({
    query: name,
    method,
    ...measure(() => search.search({ limit: 50, ...req }).total),
  }));
}

/** Generates the data, measures FTS5 search against LIKE scans and prints a table and whether the targets are met. */
export async function runSearchBench(options: { segments?: number } = {}): Promise<void> {
  const segments = options.segments ?? 600_000;
  const dir = mkdtempSync(join(tmpdir(), 'funscribe-bench-search-'));
  const file = join(dir, 'library.sqlite');
  const db = openDatabase(file);
  try {
    const genMs = generate(db, segments);
    const sizeMb = statSync(file).size / 1_048_576;
    console.log(
      `Generated ${segments} segments in ${(genMs / 1000).toFixed(1)} s (${sizeMb.toFixed(0)} MB).`,
    );
    const search = new SearchService(db);
    const countMatches = db.prepare<[string], { n: number }>(
      `SELECT count(*) AS n FROM segments WHERE text LIKE ?`,
    );
    // The app shows hits newest first (or by relevance); a LIKE scan ordered the same way must read every row.
    const likeNewest = db.prepare<[string], { id: number }>(
      `SELECT s.id FROM segments s JOIN meetings m ON m.id = s.meeting_id WHERE s.text LIKE ?
       ORDER BY m.created_at DESC, m.id DESC, s.start_ms, s.id LIMIT 50`,
    );
    // For reference only: the first 50 rows in table order, which stops as soon as 50 rows matched.
    const likeFirst = db.prepare<[string], { id: number }>(
      `SELECT id FROM segments WHERE text LIKE ? LIMIT 50`,
    );
    const rows: Row[] = [];
    const verdicts: string[] = [];
    for (const { label, query } of QUERIES) {
      const name = `${query} (${label}, ${countMatches.get(`%${query}%`)!.n} rows contain it)`;
      const sameRows =
        search
          .search({ query, order: 'newest' })
          .hits.filter((h) => h.kind === 'text')
          .map((h) => h.segmentId)
          .join() ===
        likeNewest
          .all(`%${query}%`)
          .map((r) => r.id)
          .join();
      const ours: Record<SearchOrder, Row> = {
        newest: {
          query: name,
          method: 'fts5 newest',
          ...measure(() => search.search({ query, order: 'newest' }).hits.length),
        },
        relevance: {
          query: name,
          method: 'fts5 relevance',
          ...measure(() => search.search({ query, order: 'relevance' }).hits.length),
        },
      };
      const like: Row = {
        query: name,
        method: 'LIKE newest',
        ...measure(() => likeNewest.all(`%${query}%`).length),
      };
      const first: Row = {
        query: name,
        method: 'LIKE first 50',
        ...measure(() => likeFirst.all(`%${query}%`).length),
      };
      const filtered = filteredRows(search, name, query, db);
      rows.push(ours.newest, ours.relevance, ...filtered, like, first);
      const worstP95 = Math.max(ours.newest.p95, ours.relevance.p95);
      const worstFiltered = Math.max(...filtered.map((row) => row.p95));
      const speedUp = like.p50 / Math.max(ours.newest.p50, ours.relevance.p50);
      const chars = Array.from(query).length;
      verdicts.push(
        `${query}: p95 ${worstP95.toFixed(2)} ms (< 50 ms: ${worstP95 < 50 ? 'met' : 'NOT met'}); ` +
          `${speedUp.toFixed(0)}x faster than LIKE newest at p50` +
          `, same 50 rows as LIKE newest: ${sameRows ? 'yes' : 'NO'}` +
          (chars >= 3 ? ` (>= 20x: ${speedUp >= 20 ? 'met' : 'NOT met'})` : ' (no target under 3 chars)') +
          `; with filters p95 ${worstFiltered.toFixed(2)} ms (< 150 ms: ${worstFiltered < 150 ? 'met' : 'NOT met'})`,
      );
    }
    printTable(rows);
    console.log('');
    for (const v of verdicts) console.log(v);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = Number(process.argv[2]);
  await runSearchBench(Number.isSafeInteger(arg) && arg > 0 ? { segments: arg } : {});
}
