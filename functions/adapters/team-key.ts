// The coordination team's OpenPGP key as the mail functions see it: read from its secret when a
// recipient with a key is first mailed, kept for the container's life. A secret with no value yet
// (the operator has not put a key) means "no team key": mail goes out as it always did, and the
// source asks again a few minutes later.
import { NO_TEAM_KEY, type TeamKeySource } from './mailer.js';
import { MailSealer, publicKeyProblem } from './openpgp-seal.js';

/** How long "no key put yet" is believed before the secret is read again. */
const RETRY_ABSENT_MS = 5 * 60_000;

/** `read` resolves to the armored private key, or null when none is configured. */
export function teamKeySource(read: () => Promise<string | null>, now: () => number = Date.now): TeamKeySource {
  let cached: { sealer: MailSealer | null; at: number } | undefined;
  const sealer = async (): Promise<MailSealer | null> => {
    if (cached && (cached.sealer || now() - cached.at < RETRY_ABSENT_MS)) return cached.sealer;
    const armored = await read();
    cached = { sealer: armored ? new MailSealer(armored) : null, at: now() };
    return cached.sealer;
  };
  return {
    async sealProblem(recipientKey) {
      if (!(await sealer())) return NO_TEAM_KEY;
      const problem = await publicKeyProblem(recipientKey);
      return problem && `the recipient's key ${problem}`;
    },
    async seal(mail, recipientKey) {
      const s = await sealer();
      if (!s) throw new Error(NO_TEAM_KEY);
      return s.seal(mail, recipientKey);
    },
  };
}
