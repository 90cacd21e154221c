// The pre-screen (docs/workflow.md "States", PreScreen): scores from the report's vectors, the SSVC triage
// recommendation and the seeds' decline reasons, for a coordinator to review.
// Each from its own module: the domain index also re-exports the zod report schema, which no workflow bundle needs.
import type { Command } from '../domain/decide.js';
import { SYSTEM_ACTOR, type ScoreSummary } from '../domain/events.js';
import type { Policy } from '../domain/policy.js';
import type { Report } from '../domain/report.js';
import { ms } from '../domain/time.js';
import * as msg from '../domain/messages.js';
import { scoreAll } from '../domain/scores/index.js';
import { recommendTriage } from '../domain/triage/index.js';
import { execute, loadCase } from './commands.js';
import type { AppDeps } from './deps.js';
import { base, sendOnce } from './mail.js';
import { type Step, type StepInput, step } from './steps.js';

// Kept apart from workflow.ts: only this step needs the CVSS calculator, so only its bundle carries it.

export function prescreen(report: Report, policy: Policy): Omit<Extract<Command, { type: 'record-prescreen' }>, 'type'> {
  const { scores, errors } = scoreAll(report.cvss);
  const summary: ScoreSummary = {
    ...(scores.v2
      ? {
          v2: {
            vector: scores.v2.vector,
            base: scores.v2.base,
            ...(scores.v2.temporal !== undefined ? { temporal: scores.v2.temporal } : {}),
            ...(scores.v2.environmental !== undefined ? { environmental: scores.v2.environmental } : {}),
          },
        }
      : {}),
    ...(scores.v3
      ? {
          v3: {
            vector: scores.v3.vector,
            version: scores.v3.version,
            base: scores.v3.base,
            severity: scores.v3.severity,
            ...(scores.v3.temporal !== undefined ? { temporal: scores.v3.temporal } : {}),
            ...(scores.v3.environmental !== undefined ? { environmental: scores.v3.environmental } : {}),
          },
        }
      : {}),
    ...(scores.v4 ? { v4: { vector: scores.v4.vector, score: scores.v4.score, base: scores.v4.base, severity: scores.v4.severity } } : {}),
  };
  const rec = recommendTriage({
    report,
    scores: {
      ...(scores.v2?.environmental !== undefined ? { v2Environmental: scores.v2.environmental } : {}),
      ...(scores.v2 ? { v2Base: scores.v2.base } : {}),
      ...(scores.v3 ? { v3Base: scores.v3.base } : {}),
      ...(scores.v4 ? { v4: scores.v4.score } : {}),
    },
    policy: { v2EnvironmentalThreshold: policy.lowV2EnvironmentalScore },
  });
  return {
    scores: summary,
    scoreErrors: errors,
    triage: {
      recommendation: rec.recommendation,
      ssvcOutcome: rec.ssvc.outcome,
      ssvcInputs: Object.fromEntries(
        Object.entries(rec.ssvc.inputs).map(([k, v]) => [k, { value: String(v.value), source: `${v.source}: ${v.evidence}` }]),
      ),
      suggestedReasons: rec.suggestedReasons,
      requestInformation: { suggested: rec.requestInformation.suggested, missing: [...rec.requestInformation.missing] },
    },
  };
}

export async function preScreen(deps: AppDeps, input: StepInput): Promise<Step> {
  let { state } = await loadCase(deps, input.caseId);
  const infoAfter = state.triage.infoRequest?.answeredAt;
  const stale = !state.prescreen || (infoAfter !== null && infoAfter !== undefined && ms(infoAfter) > ms(state.prescreen.at));
  if (stale && state.report && state.phase === 'triage') {
    const result = prescreen(state.report, deps.policy);
    state = (await execute(deps, state.caseId, { type: 'record-prescreen', ...result }, SYSTEM_ACTOR)).state;
  }
  const at = state.prescreen?.at;
  if (at)
    state = await sendOnce(deps, state, `triage-needed:${at}`, () =>
      msg.coordinatorsTriageNeeded(state, deps.config.coordinatorEmails, base(deps)),
    );
  return step(state);
}
