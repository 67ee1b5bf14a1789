// xstate_grain.mjs - regulation 001 (rules/zhambyl/grain_warehouse_licence.reg)
// as an XState machine, driven through the event script of transitions.c.
//
//   node bench/xstate_grain.mjs [--segments N] [--warmup N] SCRIPT
//
// The machine is written by hand from the rule file, like handwritten_grain.c:
// three variants with their own steps, the branches that go on to a later
// step carrying the refusal, refusal from any step, and a timer that marks the case
// late. Each case is an actor (createActor, start, send), the way XState
// machines are run. XState takes over a thousand times as long as the C
// runners, so instead of repeating the whole script it runs it once, timed in
// N equal segments of consecutive cases: the median and the spread are over
// the segments' rates. The first `warmup` cases are run once untimed before,
// so that V8 has compiled the hot paths. Every case must end as the script
// expects, or the run fails.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { assign, createActor, setup } from 'xstate';

const carryRefusal = assign({ result: 'refusal' });

// One variant's steps in order; `branches` maps an outcome to the step the
// case goes on to, now carrying the refusal.
function steps(prefix, list) {
  const states = {};
  list.forEach(([name, branches], i) => {
    const next = i + 1 < list.length ? `${prefix}_${list[i + 1][0]}` : null;
    const on = {
      // `-> end`: the case ends with the result it carries.
      COMPLETE: next
        ? { target: `#grain.${next}` }
        : [{ guard: 'refused', target: '#grain.refusal' }, { target: `#grain.${prefix}_result` }],
    };
    for (const [outcome, to] of Object.entries(branches || {}))
      on[outcome] = { target: `#grain.${prefix}_${to}`, actions: carryRefusal };
    states[`${prefix}_${name}`] = { on };
  });
  return states;
}

export const grainMachine = setup({
  guards: { refused: ({ context }) => context.result === 'refusal' },
}).createMachine({
  id: 'grain',
  context: ({ input }) => ({ variant: input.variant, result: null, late: false }),
  initial: 'submitted',
  on: {
    TIMER: { actions: assign({ late: true }) },
    REFUSE: { target: '.refusal', actions: carryRefusal },
  },
  states: {
    submitted: {
      always: [
        { guard: ({ context }) => context.variant === 0, target: 'issue_register' },
        { guard: ({ context }) => context.variant === 1, target: 'reissue_register' },
        { target: 'duplicate_register' },
      ],
    },
    ...steps('issue', [
      ['register'],
      ['head_review'],
      ['check_documents', { incomplete: 'sign' }],
      ['interested_body_review', { rejected: 'finalise' }],
      ['finalise'],
      ['sign'],
      ['deliver'],
    ]),
    ...steps('reissue', [
      ['register'],
      ['head_review'],
      ['review', { rejected: 'sign' }],
      ['sign'],
      ['deliver'],
    ]),
    ...steps('duplicate', [
      ['register'],
      ['head_review'],
      ['prepare', { rejected: 'sign' }],
      ['sign'],
      ['deliver'],
    ]),
    issue_result: { type: 'final' },
    reissue_result: { type: 'final' },
    duplicate_result: { type: 'final' },
    refusal: { type: 'final' },
  },
});

// The script's result numbering: licence, reissued_licence, duplicate, refusal.
const RESULT_INDEX = { issue_result: 0, reissue_result: 1, duplicate_result: 2, refusal: 3 };

function readScript(path) {
  const buf = readFileSync(path);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.toString('latin1', 0, 8) !== 'REGSCRPT' || dv.getUint32(8, true) !== 1)
    throw new Error(`${path}: not an event script`);
  const ncases = dv.getUint32(12, true);
  const nevents = dv.getUint32(16, true);
  const expected = [0, 1, 2, 3, 4].map((k) => dv.getUint32(20 + 4 * k, true));
  const base = 40;
  const variant = buf.subarray(base, base + ncases);
  const nev = buf.subarray(base + ncases, base + 2 * ncases);
  const evOff = base + 6 * ncases;
  const ev = buf.subarray(evOff, evOff + nevents);
  return { ncases, nevents, expected, variant, nev, ev };
}

// Event objects made once: code = reg_event | outcome << 2, outcomes in the
// rule file's order (incomplete, rejected).
const EVENTS = [];
EVENTS[0] = { type: 'COMPLETE' };
EVENTS[1 | (0 << 2)] = { type: 'incomplete' };
EVENTS[1 | (1 << 2)] = { type: 'rejected' };
EVENTS[2] = { type: 'REFUSE' };
EVENTS[3] = { type: 'TIMER' };

function runCases(s, from, to, p, t) {
  for (let i = from; i < to; i++) {
    const actor = createActor(grainMachine, { input: { variant: s.variant[i] & 15 } });
    actor.start();
    for (let k = s.nev[i]; k > 0; k--) actor.send(EVENTS[s.ev[p++]]);
    const snap = actor.getSnapshot();
    if (snap.status !== 'done') t.errors++;
    else t.results[RESULT_INDEX[snap.value]]++;
    if (snap.context.late) t.results[4]++;
  }
  return p;
}

function main() {
  const args = process.argv.slice(2);
  let segments = 20;
  let warmup = 100000;
  let path = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--segments') segments = Number(args[++i]);
    else if (args[i] === '--warmup') warmup = Number(args[++i]);
    else path = args[i];
  }
  if (!path || !(segments >= 1) || !(warmup >= 0)) {
    console.error('usage: node bench/xstate_grain.mjs [--segments N] [--warmup N] SCRIPT');
    process.exit(2);
  }
  const s = readScript(path);
  runCases(s, 0, Math.min(warmup, s.ncases), 0, { results: [0, 0, 0, 0, 0], errors: 0 });

  const t = { results: [0, 0, 0, 0, 0], errors: 0 };
  const rates = [];
  let p = 0;
  let total = 0;
  for (let g = 0; g < segments; g++) {
    const from = Math.floor((s.ncases * g) / segments);
    const to = Math.floor((s.ncases * (g + 1)) / segments);
    const p0 = p;
    const t0 = performance.now();
    p = runCases(s, from, to, p, t);
    const secs = (performance.now() - t0) / 1000;
    total += secs;
    rates.push({ cases: (to - from) / secs, events: (p - p0) / secs });
  }
  if (t.errors !== 0 || !t.results.every((v, k) => v === s.expected[k])) {
    console.error(
      `xstate_grain: gave ${t.results.join('/')} with ${t.errors} errors; ` +
        `the script expects ${s.expected.join('/')}`,
    );
    process.exit(1);
  }
  // Rates, slowest first; the median of N segments.
  const ev = rates.map((r) => r.events).sort((a, b) => a - b);
  const cs = rates.map((r) => r.cases).sort((a, b) => a - b);
  const median = (a) => (a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2);
  console.log(
    `transitions impl=xstate cases=${s.ncases} events=${s.nevents} segments=${segments} ` +
      `total_s=${total.toFixed(3)} cases_per_s=${Math.round(median(cs))} ` +
      `events_per_s=${Math.round(median(ev))} events_per_s_min=${Math.round(ev[0])} ` +
      `events_per_s_max=${Math.round(ev[ev.length - 1])}`,
  );
}

main();
