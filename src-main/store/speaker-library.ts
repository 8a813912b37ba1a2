// The speaker side of one library as the speaker edits see it: its repositories and its write transactions.
import type { Database } from 'better-sqlite3';
import { libraryTransactions, type LibraryTransactions } from './library-transactions.js';
import { SpeakerSnapshots } from './speaker-snapshots.js';
import { SpeakerRepository } from './speakers-repo.js';
import { VoiceprintRepository } from './voiceprints-repo.js';

/** The speaker and voiceprint tables of one library, with its write transactions. */
export interface SpeakerLibrary {
  speakers: SpeakerRepository;
  /** Saved speaker states for undo. */
  snapshots: SpeakerSnapshots;
  voiceprints: VoiceprintRepository;
  transactions: LibraryTransactions;
}

/** The speaker tables and write transactions of an open, migrated library connection. */
export function speakerLibrary(db: Database): SpeakerLibrary {
  return {
    speakers: new SpeakerRepository(db),
    snapshots: new SpeakerSnapshots(db),
    voiceprints: new VoiceprintRepository(db),
    transactions: libraryTransactions(db),
  };
}
