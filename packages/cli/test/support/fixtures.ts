/** Small rule files and data the CLI tests write into their workspace. */

/** A clean rule file (no errors, no warnings) with groups, an `each` rule, stages and a tier. */
export const ACME_RULES = `# Acme: management software for SMEs
lead {
  id: text
  job: text
  email: text
  phone: text
  company.size: number
  company.industry: text
  country: text
  tags: list of text
  student: bool
  budget_validated: bool
  signup: date
}

event email_open
event download { asset: text }
event page_view { url: text }

let decision_makers = [CEO, CTO, "VP Sales"]
segment ideal_company = company.size between 10 and 250 and company.industry in [services, retail]

group fit max 60 {
  when ideal_company add 15 "Ideal company profile"
  when job in decision_makers add 10 "Decision maker"
  when email ends any ['@gmail.com', '@yahoo.com'] sub 5 "Personal address"
  when student sub 100 "Student"
  when country not in [FR, BE, CH] sub 10 "Outside the market"
  when tags has partner add 5 "Partner"
  when signup > 30 days ago add 2 "Recent signup"
}

group engagement max 40 {
  when any download where asset contains "guide" add 20 "Read a guide"
  when any page_view where url starts "/pricing" within 30 days add 25 "Saw pricing"
  each email_open within 90 days add 2 up to 6 "Opens e-mails"
}

stage discovery at 0
stage evaluation at 20
stage purchase at 40
stage sales_ready at 40 requires email, phone when budget_validated

tier A when fit >= 25 and engagement >= 20
tier B when fit >= 15

test "SMB services firm that read the guide and saw pricing" {
  now 2026-03-01
  lead { id: "t1", company.size: 50, company.industry: "services", email: "ana@acme.fr", country: FR }
  events {
    download { asset: "process-guide" } at 2026-02-20
    page_view { url: "/pricing" } at 2026-02-27
  }
  expect score 55
  expect stage purchase
  expect tier B
}

test "students never get a stage" {
  lead { student: true, country: FR }
  expect no stage
}
`;

/** The same rules with one failing test. */
export const FAILING_TEST_RULES = ACME_RULES.replace('expect score 55', 'expect score 70').replace(
  'expect stage purchase',
  'expect stage sales_ready',
);

/** A rule file with errors (and a warning). */
export const BROKEN_RULES = `lead {
  company.size: number
  email: text
  phone: text
}
when compnay.size > 10 add 5
when email ends 5 add 3
when phone is set add 0
stage purchase at 40
`;

export const LEADS_CSV = `id,job,email,phone,company.size,company.industry,country,tags,student,budget_validated,signup
1,CEO,ana@acme.fr,+33 1 23 45 67 89,50,services,FR,partner;vip,no,yes,2026-02-20
2,Intern,bob@gmail.com,,8,retail,FR,,yes,no,2025-01-01
3,VP Sales,carl@corp.com,,200,Retail,BE,,false,yes,
4,CTO,dan@corp.de,,20,services,DE,,0,1,2026-02-25
`;

export const EVENTS_CSV = `lead_id,type,at,asset,url
1,download,2026-02-20,process-guide,
1,page_view,2026-02-27,,/pricing
1,email_open,2026-02-01,,
3,email_open,2026-02-01,,
3,email_open,2026-02-10,,
4,page_view,2026-02-27T10:00:00Z,,/pricing/teams
`;

/** A CSV of `rows` generated leads (deterministic), with a header. */
export function generatedLeadsCsv(rows: number): string {
  const jobs = ['CEO', 'CTO', 'VP Sales', 'Intern', 'Engineer', 'Directeur achats'];
  const industries = ['services', 'retail', 'industry', 'Services'];
  const countries = ['FR', 'BE', 'CH', 'DE', 'US'];
  const lines = ['id,job,email,phone,company.size,company.industry,country,tags,student,budget_validated,signup'];
  for (let i = 1; i <= rows; i++) {
    const domain = i % 7 === 0 ? 'gmail.com' : 'corp.example';
    lines.push(
      [
        i,
        jobs[i % jobs.length],
        `lead${i}@${domain}`,
        i % 3 === 0 ? '' : `+33 1 ${i}`,
        (i * 37) % 400,
        industries[i % industries.length],
        countries[i % countries.length],
        i % 5 === 0 ? 'partner' : '',
        i % 11 === 0 ? 'yes' : 'no',
        i % 2 === 0 ? 'yes' : 'no',
        `2026-0${1 + (i % 2)}-${String(1 + (i % 28)).padStart(2, '0')}`,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
