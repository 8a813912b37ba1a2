// Number options of the commands, checked with the rule the settings and IPC check them with.
import { InvalidArgumentError } from 'commander';
import * as v from 'valibot';

/** Parses a number option with the rule the settings and IPC check it with (e.g. concurrency 1–16). */
export function numberOption(schema: v.GenericSchema<unknown, number>): (value: string) => number {
  return (value) => {
    const result = v.safeParse(schema, Number(value), { abortEarly: true });
    if (!result.success) throw new InvalidArgumentError(result.issues[0].message);
    return result.output;
  };
}
