/**
 * The design's example file (LANGUAGE.md, "A file") built by hand as a checked model, so the
 * compiler can be tested without the parser and checker; `design-example.rubric` in this folder
 * is the same file as text, for the end-to-end tests.
 */
import type { Model } from '../../src/checker/model.js';
import { buildModel, cmp, field, prop, query, when } from './model-builder.js';

export const DESIGN_EXAMPLE_TEXT = `# Acme — management software for SMEs (seed example: 50-person services firm)
lead {
  job: text
  email: text
  phone: text
  company.size: number
  company.industry: text
  country: text
  revenue: number          # yearly, EUR
  student: bool
  budget_validated: bool
  decision_date: date
}

event email_open
event email_click
event page_view { url: text }
event download { asset: text }
event webinar_registration
event unsubscribe

let decision_makers = [CEO, CTO, "VP Sales", "Directeur achats"]
segment ideal_company = company.size between 10 and 250 and company.industry in [services, retail]

group fit max 60 {
  when ideal_company add 15 "Ideal company profile"
  when job in decision_makers add 10
  when email ends any ['@gmail.com', '@yahoo.com', '@hotmail.fr'] sub 5 "Personal address"
  when student sub 100
  when country not in [FR, BE, CH, LU] sub 10
}

group engagement max 80 {
  when any download where asset contains "guide" add 20
  when any page_view where url starts "/pricing" within 30 days add 25
  when count email_open within 90 days >= 3 add 5
  each email_click add 2 up to 10 half-life 30 days
  when any unsubscribe sub 30
}

stage discovery at 0
stage evaluation at 20
stage purchase at 40
stage sales_ready at 40 requires email, phone when budget_validated

test "SMB services firm that read the guide and saw pricing" {
  now 2026-03-01
  lead { company.size: 50, company.industry: "services", email: "ana@acme.fr" }
  events {
    download { asset: "process-guide" } at 2026-02-20
    page_view { url: "/pricing" } at 2026-02-27
  }
  expect score 60
  expect stage purchase
}
`;

export function designExampleModel(): Model {
  return buildModel({
    fields: {
      job: 'text',
      email: 'text',
      phone: 'text',
      'company.size': 'number',
      'company.industry': 'text',
      country: 'text',
      revenue: 'number',
      student: 'bool',
      budget_validated: 'bool',
      decision_date: 'date',
    },
    events: {
      email_open: {},
      email_click: {},
      page_view: { url: 'text' },
      download: { asset: 'text' },
      webinar_registration: {},
      unsubscribe: {},
    },
    segments: {
      ideal_company: when.and(
        when.between(field('company.size'), 10, 250),
        when.in(field('company.industry'), ['services', 'retail']),
      ),
    },
    groups: [
      { name: 'fit', max: 60 },
      { name: 'engagement', max: 80 },
    ],
    rules: [
      { group: 'fit', when: when.segment('ideal_company'), points: 15, label: 'Ideal company profile' },
      { group: 'fit', when: when.in(field('job'), ['ceo', 'cto', 'vp sales', 'directeur achats']), points: 10, label: 'when job in decision_makers add 10' },
      { group: 'fit', when: when.ends(field('email'), '@gmail.com', '@yahoo.com', '@hotmail.fr'), points: -5, label: 'Personal address' },
      { group: 'fit', when: when.isTrue(field('student')), points: -100, label: 'when student sub 100' },
      { group: 'fit', when: when.notIn(field('country'), ['fr', 'be', 'ch', 'lu']), points: -10, label: 'when country not in [FR, BE, CH, LU] sub 10' },
      { group: 'engagement', when: when.any(query('download', { where: when.contains(prop('download', 'asset'), 'guide') })), points: 20 },
      {
        group: 'engagement',
        when: when.any(query('page_view', { where: when.starts(prop('page_view', 'url'), '/pricing'), withinDays: 30 })),
        points: 25,
      },
      { group: 'engagement', when: when.count(query('email_open', { withinDays: 90 }), cmp('>=', 3)), points: 5 },
      { group: 'engagement', each: query('email_click'), points: 2, cap: 10, halfLifeDays: 30 },
      { group: 'engagement', when: when.any(query('unsubscribe')), points: -30 },
    ],
    stages: [
      { name: 'discovery', at: 0 },
      { name: 'evaluation', at: 20 },
      { name: 'purchase', at: 40 },
      { name: 'sales_ready', at: 40, requires: ['email', 'phone'], when: when.isTrue(field('budget_validated')) },
    ],
  });
}

/** The design example's test lead. */
export const DESIGN_TEST_LEAD = {
  company: { size: 50, industry: 'services' },
  email: 'ana@acme.fr',
};
export const DESIGN_TEST_EVENTS = [
  { type: 'download', asset: 'process-guide', at: '2026-02-20' },
  { type: 'page_view', url: '/pricing', at: '2026-02-27' },
];
export const DESIGN_TEST_NOW = '2026-03-01';
