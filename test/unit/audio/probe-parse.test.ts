import { describe, expect, it } from 'vitest';
import {
  channelsFromLayout,
  parseFfmpegBanner,
  parseFfprobeJson,
} from '../../../src-main/audio/probe-parse.js';

describe('channelsFromLayout', () => {
  it('counts named, dotted and numbered layouts', () => {
    expect(channelsFromLayout('mono')).toBe(1);
    expect(channelsFromLayout('stereo')).toBe(2);
    expect(channelsFromLayout('5.1')).toBe(6);
    expect(channelsFromLayout('5.1(side)')).toBe(6);
    expect(channelsFromLayout('7.1(wide)')).toBe(8);
    expect(channelsFromLayout('quad')).toBe(4);
    expect(channelsFromLayout('3 channels')).toBe(3);
    expect(channelsFromLayout('something new')).toBe(0);
  });
});

describe('parsers on output that is not a media description', () => {
  it('gives null for text that is not ffprobe JSON or an ffmpeg input banner', () => {
    expect(parseFfprobeJson('')).toBeNull();
    expect(parseFfprobeJson('{}')).toBeNull();
    expect(parseFfmpegBanner('file:/x.mp3: Invalid data found when processing input')).toBeNull();
  });
});
