// Types for the parts of the untyped `webvtt-parser` package (W3C's WebVTT validator) the export tests use.
declare module 'webvtt-parser' {
  /** A node of a parsed cue text tree. */
  export interface VttNode {
    type: 'text' | 'object' | 'timestamp';
    name?: string;
    value?: string;
    children?: VttNode[];
  }
  /** One parsed cue; times in seconds. */
  export interface VttCue {
    id: string;
    startTime: number;
    endTime: number;
    text: string;
    tree: VttNode;
  }
  /** What `parse` returns: cues plus every conformance error found. */
  export interface VttParseResult {
    cues: VttCue[];
    errors: { message: string; line: number; col?: number }[];
  }
  /** The module object (CommonJS). */
  const webvtt: {
    WebVTTParser: new (entities?: Record<string, string>) => {
      parse(input: string, mode?: 'metadata' | 'chapters'): VttParseResult;
    };
  };
  export default webvtt;
}
