import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { scoreQuestionSet, type LabelledQuestion } from '../../src/knowledge/evaluation.js';
import { createKnowledge, type Knowledge } from '../../src/knowledge/knowledge.js';
import { loadTopics } from '../../src/knowledge/load.js';

// Quality gates on the question sets in test/fixtures (test/fixtures/README.md says who wrote each
// set, from what brief, and whether the matcher was tuned on it). An edit to the knowledge base or
// the matcher that makes the bot answer much worse, or guess wrong or answer out-of-scope
// questions much more often, fails here. The floors sit a little under what each set measures,
// so that one question's change does not fail the build. Wrong ≤ 0.03 and held ≥ 0.90 hold on
// every set (the goal) but edges.jsonl, whose questions sit on the boundary between two
// topics: 5 of its 105 answerable questions get the neighbouring topic (0.048), and two round-5
// sets told entirely as situations (told-to-a-colleague, discharge-stories: 5 of 112 each, 0.045),
// where the story's device or discharge still leads to the ordering or pick-up topic.
// Three sets written to be hard (long-lay, tried-first, not-this-but-that: 4-6 of 112) held
// out until the end of round 5 and then read: their floors record where the bot stands on them.
interface Gate {
  set: string;
  why: string;
  accuracy: number;
  wrong: number;
  held: number;
}

const GATES: Gate[] = [
  {
    set: 'validation.jsonl',
    why: 'written from the seeds, tuned on',
    accuracy: 0.95,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'tune.jsonl',
    why: 'short and telegraphic, tuned on',
    accuracy: 0.91,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'fresh.jsonl',
    why: 'long chatty situations, tuned on',
    accuracy: 0.84,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'holdout.jsonl',
    why: 'the hidden sets’ brief, tuned on since',
    accuracy: 0.86,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'everyday.jsonl',
    why: 'six voices, busy typing, tuned on',
    accuracy: 0.93,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'stories.jsonl',
    why: 'long situations, English, tuned on',
    accuracy: 0.88,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'month.jsonl',
    why: 'a month of traffic, tuned on in round 4',
    accuracy: 0.92,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'other-org.jsonl',
    why: 'another organisation’s users, tuned on in round 4',
    accuracy: 0.92,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'busy.jsonl',
    why: 'busy typing from the seeds, tuned on in round 4',
    accuracy: 0.93,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'situations.jsonl',
    why: 'long lay situations, tuned on in round 4',
    accuracy: 0.89,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'first-weeks.jsonl',
    why: 'new staff in everyday words, tuned on in round 4',
    accuracy: 0.9,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'evenings.jsonl',
    why: 'evenings and weekends in home care, tuned on in round 4',
    accuracy: 0.85,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'ward.jsonl',
    why: 'a hospital ward, many products, tuned on in round 4',
    accuracy: 0.92,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'keywords.jsonl',
    why: 'search-box fragments, tuned on in round 4',
    accuracy: 0.93,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'second-language.jsonl',
    why: 'Swedish as a second language, English, tuned on in round 4',
    accuracy: 0.89,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'experienced.jsonl',
    why: 'experienced prescribers on details, tuned on in round 4',
    accuracy: 0.92,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'many-things.jsonl',
    why: 'one question in a crowded situation, tuned on in round 4',
    accuracy: 0.84,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'boundary.jsonl',
    why: 'out of scope in webSesam’s own words, tuned on in round 4',
    accuracy: 0.9,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'emails.jsonl',
    why: 'pasted e-mails with signatures, tuned on in round 4',
    accuracy: 0.92,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'details.jsonl',
    why: 'dates, addresses and numbers in the way, tuned on in round 4',
    accuracy: 0.87,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'primary-care.jsonl',
    why: 'primary care and rehab, children’s and cognitive aids, tuned on in round 4',
    accuracy: 0.93,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'on-screen.jsonl',
    why: 'what users see on the screen, tuned on in round 4',
    accuracy: 0.89,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'rarer-tasks.jsonl',
    why: 'the rarer topics in many words, tuned on in round 4',
    accuracy: 0.92,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'managers.jsonl',
    why: 'managers and coordinators, tuned on in round 4',
    accuracy: 0.94,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'tangled.jsonl',
    why: 'long tangled messages, tuned on in round 4',
    accuracy: 0.84,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'mixed-day.jsonl',
    why: 'a mixed day of messages, tuned on in round 4',
    accuracy: 0.91,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'on-the-move.jsonl',
    why: 'typed on the move, held out in round 4, tuned on since',
    accuracy: 0.87,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'edges.jsonl',
    why: 'boundaries between topics, held out in round 4, tuned on since',
    accuracy: 0.89,
    wrong: 0.05,
    held: 0.9,
  },
  {
    set: 'week.jsonl',
    why: 'a week of traffic, held out in round 4, tuned on since',
    accuracy: 0.9,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'on-behalf.jsonl',
    why: 'asking on behalf of others, held out in round 4, tuned on since',
    accuracy: 0.84,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'chatty.jsonl',
    why: 'chatty situations, scored once at the end of round 4, then tuned on',
    accuracy: 0.82,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'typing.jsonl',
    why: 'busy people typing, scored once at the end of round 4, then tuned on',
    accuracy: 0.88,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'angles.jsonl',
    why: 'unusual angles, scored once at the end of round 4, then tuned on',
    accuracy: 0.87,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'home-care-stories.jsonl',
    why: 'home care and short-term care stories, tuned on at the end of round 4',
    accuracy: 0.86,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'order-return-report.jsonl',
    why: 'ordering, returns and reports, tuned on at the end of round 4',
    accuracy: 0.93,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'next-user.jsonl',
    why: 'the next user, held out: scored once at the end of round 4',
    accuracy: 0.9,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'lay-stories.jsonl',
    why: 'stories in lay words, held out: scored once at the end of round 4',
    accuracy: 0.85,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'passed-on.jsonl',
    why: 'questions passed on by someone else, round 5: scored once, then tuned on',
    accuracy: 0.95,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'informal.jsonl',
    why: 'slang, Swenglish and emojis, round 5: scored once, then tuned on',
    accuracy: 0.91,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'thing-first.jsonl',
    why: 'the product, paper or place first, round 5: scored once, then tuned on',
    accuracy: 0.93,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'non-prescribers.jsonl',
    why: 'staff who are not prescribers, round 5: scored once, then tuned on',
    accuracy: 0.9,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'already-tried.jsonl',
    why: 'what the writer already tried, round 5: scored once, then tuned on',
    accuracy: 0.87,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'ruled-out.jsonl',
    why: 'what it is not, two ways set against each other, round 5: scored once, then tuned on',
    accuracy: 0.86,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'long-situations.jsonl',
    why: 'long situations told first, round 5: scored once, then tuned on',
    accuracy: 0.86,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'english-at-work.jsonl',
    why: 'English as the work language, round 5: scored once, then tuned on',
    accuracy: 0.9,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'what-it-means.jsonl',
    why: 'what a label means, round 5: scored once, then tuned on',
    accuracy: 0.96,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'several-things.jsonl',
    why: 'two or three things in one message, round 5: scored once, then tuned on',
    accuracy: 0.89,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'home-care-life.jsonl',
    why: 'everyday life in home care and special housing, round 5: scored once, then tuned on',
    accuracy: 0.89,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'rural-busy.jsonl',
    why: 'busy typing in a rural municipality, round 5: scored once, then tuned on',
    accuracy: 0.94,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'hospital-busy.jsonl',
    why: 'busy typing on hospital wards, round 5: scored once, then tuned on',
    accuracy: 0.95,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'long-greeting.jsonl',
    why: 'a greeting and a situation before the question, round 5: scored once, then tuned on',
    accuracy: 0.89,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'lay-situations.jsonl',
    why: 'situations in lay words, round 5: scored once, then tuned on',
    accuracy: 0.84,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'told-to-a-colleague.jsonl',
    why: 'situations told without the system words, round 5: scored once, then tuned on',
    accuracy: 0.82,
    wrong: 0.05,
    held: 0.9,
  },
  {
    set: 'discharge-stories.jsonl',
    why: 'hospital discharges told in lay words, round 5: scored once, then tuned on',
    accuracy: 0.85,
    wrong: 0.05,
    held: 0.9,
  },
  {
    set: 'short-and-long.jsonl',
    why: 'half busy fragments, half lay situations, round 5: scored once, then tuned on',
    accuracy: 0.92,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'long-lay.jsonl',
    why: 'long situations in lay words, scored once in round 5, then read and tuned on',
    accuracy: 0.86,
    wrong: 0.05,
    held: 0.9,
  },
  {
    set: 'tried-first.jsonl',
    why: 'what the writer tried first, scored once in round 5, then read and tuned on',
    accuracy: 0.87,
    wrong: 0.05,
    held: 0.9,
  },
  {
    set: 'not-this-but-that.jsonl',
    why: 'contrasts and negations, scored once in round 5, then read and tuned on',
    accuracy: 0.78,
    wrong: 0.06,
    held: 0.9,
  },
  {
    set: 'realistic-mix.jsonl',
    why: 'a realistic mix, held out: scored at the end of round 5, never tuned on',
    accuracy: 0.92,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'ordinary-day.jsonl',
    why: 'an ordinary day, held out: scored at the end of round 5, never tuned on',
    accuracy: 0.95,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'long-stories.jsonl',
    why: 'long stories, held out: scored at the end of round 5, never tuned on',
    accuracy: 0.88,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'ordinary-week.jsonl',
    why: 'an ordinary week, busy typing, held out: scored once at the end of round 5, never tuned on',
    accuracy: 0.92,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'between-patients.jsonl',
    why: 'typed between patients, held out: scored once at the end of round 5, never tuned on',
    accuracy: 0.94,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'situations-2.jsonl',
    why: 'long situations, held out: scored once at the end of round 5, never tuned on',
    accuracy: 0.88,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'chatty-2.jsonl',
    why: 'long chatty situations, held out: scored once at the end of round 5, never tuned on',
    accuracy: 0.85,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'everyday-wishes.jsonl',
    why: 'situations in everyday words, scored once in round 6, then read and tuned on',
    accuracy: 0.88,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'long-and-hard.jsonl',
    why: 'long messages and hard out of scope, scored once in round 6, then read and tuned on',
    accuracy: 0.9,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'care-stories.jsonl',
    why: 'home care and ward stories, scored once in round 6, then read and tuned on',
    accuracy: 0.9,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'busy-day-screens.jsonl',
    why: 'a busy day, what is on the screen, scored once in round 6, then read and tuned on',
    accuracy: 0.91,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'everyday-wishes-2.jsonl',
    why: 'everyday words only, held out in round 6 until scored once, then read and tuned on',
    accuracy: 0.87,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'long-chatty-3.jsonl',
    why: 'long chatty situations, held out: written in round 6, never tuned on',
    accuracy: 0.9,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'busy-mix-3.jsonl',
    why: 'a realistic busy mix, held out: written in round 6, never tuned on',
    accuracy: 0.95,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'long-mix-2.jsonl',
    why: 'long situations and hard out of scope, held out: scored once in round 6, never tuned on',
    accuracy: 0.91,
    wrong: 0.03,
    held: 0.9,
  },
  {
    set: 'everyday-only.jsonl',
    why: 'everyday words only, held out: scored once on the final answers of round 6, never tuned on',
    accuracy: 0.84,
    wrong: 0.03,
    held: 0.9,
  },
];

async function score(knowledge: Knowledge, set: string) {
  const file = path.join(PROJECT_ROOT, 'test', 'fixtures', set);
  const questions = (await fs.readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledQuestion);
  const s = scoreQuestionSet(knowledge, questions);
  return {
    ...s,
    figures: `${set}: accuracy ${s.accuracy.toFixed(3)} wrong ${s.wrong.toFixed(3)} held ${s.held.toFixed(3)}`,
  };
}

describe('matching quality on the question sets', () => {
  let knowledge: Knowledge;
  before(async () => {
    const config = loadConfig({});
    knowledge = createKnowledge(await loadTopics(config.KNOWLEDGE_DIR), {
      answer: config.MATCH_ANSWER_THRESHOLD,
      suggest: config.MATCH_SUGGEST_THRESHOLD,
    });
  });

  for (const gate of GATES)
    it(`${gate.set} (${gate.why}): accuracy ≥ ${gate.accuracy}, wrong ≤ ${gate.wrong}, held ≥ ${gate.held}`, async () => {
      const s = await score(knowledge, gate.set);
      assert.ok(s.accuracy >= gate.accuracy, s.figures);
      assert.ok(s.wrong <= gate.wrong, s.figures);
      assert.ok(s.held >= gate.held, s.figures);
    });
});
