// `funscribe speakers <meeting-id>` (list, re-count, rename, merge) and `funscribe voiceprints` (list, forget).
import { InvalidArgumentError, type Command } from 'commander';
import type { SpeakerLabelling, SpeakerSummary, VoiceprintInfo } from '../../src-shared/types.js';
import type { AppService } from '../application/app-service.js';
import { describeLabelling } from '../../src-shared/speaker-backends.js';
import { MAX_SPEAKER_COUNT } from '../../src-shared/schemas/limits.js';
import { singleLineText } from '../util/control-chars.js';
import { FunscribeError } from '../util/errors.js';
import { formatDateTime, formatDuration } from '../../src-shared/time.js';
import type { WithApp } from './with-app.js';
import { printJson } from './json-output.js';

/** Options of `funscribe speakers`. */
export interface SpeakersCommandOptions {
  count?: number;
  rename?: [string, string][];
  merge?: [string, string][];
  remember?: boolean;
  json?: boolean;
}

/** Parses --count: a whole number of speakers. */
function countOption(value: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value.trim()) || count < 1 || count > MAX_SPEAKER_COUNT) {
    throw new InvalidArgumentError(`expected a number of speakers from 1 to ${MAX_SPEAKER_COUNT}.`);
  }
  return count;
}

/** Collects a repeatable "A=B" option as pairs (split at the first "="). */
function pairOption(
  example: string,
): (value: string, previous: [string, string][] | undefined) => [string, string][] {
  return (value, previous = []) => {
    const at = value.indexOf('=');
    if (at <= 0) throw new InvalidArgumentError(`expected "${example}".`);
    return [...previous, [value.slice(0, at).trim(), value.slice(at + 1)]];
  };
}

/** A speaker as `speakers --json` prints it. */
function speakerJson(speaker: SpeakerSummary) {
  return {
    id: speaker.id,
    label: speaker.label,
    name: speaker.name,
    suggestedName: speaker.suggestedName ?? null,
    suggestionScore: speaker.suggestionScore ?? null,
    talkMs: speaker.talkMs,
    segmentCount: speaker.segmentCount,
  };
}

/** Prints the speakers of a meeting as a table, headed by how they were labelled. */
function printSpeakers(
  meetingId: number,
  labelling: SpeakerLabelling | null,
  speakers: SpeakerSummary[],
): void {
  const how = labelling ? `, labelled by ${describeLabelling(labelling)}` : '';
  console.log(`Meeting ${meetingId}: ${speakers.length} speaker${speakers.length === 1 ? '' : 's'}${how}.`);
  const nameOf = (s: SpeakerSummary): string => singleLineText(s.name ?? '-');
  const width = Math.max(4, ...speakers.map((s) => nameOf(s).length));
  for (const s of speakers) {
    const suggestion = s.suggestedName
      ? `  sounds like ${singleLineText(s.suggestedName)} (${(s.suggestionScore ?? 0).toFixed(2)})`
      : '';
    const sentences = `${s.segmentCount} sentence${s.segmentCount === 1 ? '' : 's'}`;
    console.log(
      `  ${singleLineText(s.label).padEnd(11)} ${nameOf(s).padEnd(width)}  ${formatDuration(s.talkMs).padEnd(12)} ${sentences}${suggestion}`,
    );
  }
  if (labelling && !labelling.canRelabel) console.log('The speakers of this meeting cannot be re-counted.');
}

/** Runs `funscribe speakers`: re-count, renames, merges (all or nothing), then the list with fresh suggestions. */
export async function speakersCommand(
  app: AppService,
  meeting: string,
  options: SpeakersCommandOptions,
): Promise<number> {
  const { rename = [], merge = [] } = options;
  if (options.remember && rename.length === 0) {
    throw new FunscribeError('INVALID_ARGUMENT', '--remember stores the voice of a speaker you --rename.');
  }
  const {
    meetingId: id,
    labelling,
    speakers,
  } = await app.changeSpeakers(meeting, {
    count: options.count,
    renames: rename.map(([speaker, name]) => ({ speaker, name })),
    merges: merge,
    rememberVoice: options.remember === true,
  });
  if (options.json) {
    printJson({
      meetingId: id,
      labelling: labelling && { ...labelling, description: describeLabelling(labelling) },
      speakers: speakers.map(speakerJson),
    });
  } else {
    printSpeakers(id, labelling, speakers);
  }
  return 0;
}

/** One line of the `voiceprints` list. */
function voiceprintLine(v: VoiceprintInfo): string {
  return `  ${singleLineText(v.name)}  (${v.backend}, remembered ${formatDateTime(v.createdAt)}, updated ${formatDateTime(v.updatedAt)})`;
}

/** Runs `funscribe voiceprints [--forget NAME]`. */
export async function voiceprintsCommand(
  app: AppService,
  options: { forget?: string; json?: boolean },
): Promise<number> {
  const forgotten = options.forget === undefined ? [] : await app.forgetVoiceprint(options.forget);
  const voiceprints = await app.listVoiceprints();
  if (options.json) {
    printJson({ forgotten, voiceprints });
    return 0;
  }
  for (const v of forgotten) console.log(`Forgot the voice of ${singleLineText(v.name)} (${v.backend}).`);
  if (voiceprints.length === 0) {
    console.log(
      'No voices are remembered. Use "funscribe speakers <id> --rename "Speaker 1=Name" --remember".',
    );
  } else {
    console.log('Remembered voices:');
    for (const v of voiceprints) console.log(voiceprintLine(v));
  }
  return 0;
}

/** Adds `speakers` and `voiceprints` to the program. */
export function registerSpeakerCommands(program: Command, withApp: WithApp): void {
  program
    .command('speakers')
    .description(
      'list the speakers of a meeting and change them: re-count, rename, merge (names refer to the speakers as listed after --count)',
    )
    .argument('<meeting-id>', 'meeting id')
    .option('--count <n>', 're-count the speakers from the stored voice analysis', countOption)
    .option(
      '--rename <speaker=name>',
      'name a speaker, e.g. "Speaker 1=Alice" (repeatable; empty name = back to the label)',
      pairOption('Speaker 1=Alice'),
    )
    .option(
      '--remember',
      'also remember the renamed speakers’ voices, to suggest their names in other meetings',
    )
    .option(
      '--merge <from=into>',
      'give one speaker’s sentences to another, e.g. "Speaker 3=Speaker 1" (repeatable)',
      pairOption('Speaker 3=Speaker 1'),
    )
    .option('--json', 'print JSON')
    .action((meeting: string, options: SpeakersCommandOptions) =>
      withApp(program, (app) => speakersCommand(app, meeting, options)),
    );

  program
    .command('voiceprints')
    .description('list the remembered voices, or forget one')
    .option('--forget <name>', 'delete the remembered voice with this name (or id)')
    .option('--json', 'print JSON')
    .action((options: { forget?: string; json?: boolean }) =>
      withApp(program, (app) => voiceprintsCommand(app, options)),
    );
}
