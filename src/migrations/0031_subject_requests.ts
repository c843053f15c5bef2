export default `
-- Vietnam's calendar of days off and shifted working days, as master data with the source of every row. A weekday
-- is a working day unless a row makes it a day off; a Saturday or Sunday is not, unless a row makes it a working day
-- ('shifted_working_day', worked in exchange for a shifted day off). Public holidays: Labour Code 45/2019/QH14
-- Art. 112(1); one falling on a weekly rest day gives the next working day off (Art. 111(3)); the Prime Minister
-- fixes each year's Tết days and the day beside 2 September (Art. 112(3)) and may shift working days. Edited by a
-- platform administrator through the API (audited); 2027's Tết and 2 September are the statute's reading until the
-- Government's notice, and say so in their source.
create table calendar_days (
  day date primary key,
  kind text not null check (kind in ('holiday', 'compensatory', 'shifted_day_off', 'shifted_working_day')),
  name_vi text not null,
  name_en text not null,
  source text not null,
  updated_by uuid references users(id),
  updated_at timestamptz not null default now()
);
insert into calendar_days (day, kind, name_vi, name_en, source) values
  ('2025-01-01', 'holiday', 'Tết Dương lịch', 'New Year''s Day', 'Bộ luật Lao động 2019, Điều 112(1)(a)'),
  ('2025-01-27', 'holiday', 'Tết Nguyên đán (28 tháng Chạp)', 'Lunar New Year (28th of the 12th month)', 'BLLĐ 2019, Điều 112(1)(b); Thông báo 6150/TB-LĐTBXH ngày 14/11/2024'),
  ('2025-01-28', 'holiday', 'Tết Nguyên đán (29 tháng Chạp)', 'Lunar New Year (New Year''s Eve)', 'BLLĐ 2019, Điều 112(1)(b); Thông báo 6150/TB-LĐTBXH ngày 14/11/2024'),
  ('2025-01-29', 'holiday', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year (1st day)', 'BLLĐ 2019, Điều 112(1)(b); Thông báo 6150/TB-LĐTBXH ngày 14/11/2024'),
  ('2025-01-30', 'holiday', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (2nd day)', 'BLLĐ 2019, Điều 112(1)(b); Thông báo 6150/TB-LĐTBXH ngày 14/11/2024'),
  ('2025-01-31', 'holiday', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (3rd day)', 'BLLĐ 2019, Điều 112(1)(b); Thông báo 6150/TB-LĐTBXH ngày 14/11/2024'),
  ('2025-04-07', 'holiday', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hùng Kings'' Commemoration (10th of the 3rd lunar month)', 'BLLĐ 2019, Điều 112(1)(đ)'),
  ('2025-04-26', 'shifted_working_day', 'Làm bù cho ngày nghỉ 02/5', 'Worked in exchange for 2 May', 'Thông báo 6150/TB-LĐTBXH ngày 14/11/2024 (hoán đổi ngày làm việc 02/5/2025)'),
  ('2025-04-30', 'holiday', 'Ngày Chiến thắng', 'Reunification Day', 'BLLĐ 2019, Điều 112(1)(c)'),
  ('2025-05-01', 'holiday', 'Ngày Quốc tế lao động', 'International Labour Day', 'BLLĐ 2019, Điều 112(1)(d)'),
  ('2025-05-02', 'shifted_day_off', 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4)', 'Shifted day off (worked Saturday 26 April)', 'Thông báo 6150/TB-LĐTBXH ngày 14/11/2024 (hoán đổi ngày làm việc 02/5/2025)'),
  ('2025-09-01', 'holiday', 'Quốc khánh (ngày liền kề)', 'National Day (adjacent day)', 'BLLĐ 2019, Điều 112(1)(e); Thông báo 6150/TB-LĐTBXH ngày 14/11/2024'),
  ('2025-09-02', 'holiday', 'Quốc khánh', 'National Day', 'BLLĐ 2019, Điều 112(1)(e)'),
  ('2026-01-01', 'holiday', 'Tết Dương lịch', 'New Year''s Day', 'BLLĐ 2019, Điều 112(1)(a)'),
  ('2026-02-16', 'holiday', 'Tết Nguyên đán (29 tháng Chạp)', 'Lunar New Year (New Year''s Eve)', 'BLLĐ 2019, Điều 112(1)(b); lịch nghỉ Tết Bính Ngọ 2026 của Bộ Nội vụ (nghỉ 14/02–22/02/2026)'),
  ('2026-02-17', 'holiday', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year (1st day)', 'BLLĐ 2019, Điều 112(1)(b); lịch nghỉ Tết Bính Ngọ 2026 của Bộ Nội vụ (nghỉ 14/02–22/02/2026)'),
  ('2026-02-18', 'holiday', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (2nd day)', 'BLLĐ 2019, Điều 112(1)(b); lịch nghỉ Tết Bính Ngọ 2026 của Bộ Nội vụ (nghỉ 14/02–22/02/2026)'),
  ('2026-02-19', 'holiday', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (3rd day)', 'BLLĐ 2019, Điều 112(1)(b); lịch nghỉ Tết Bính Ngọ 2026 của Bộ Nội vụ (nghỉ 14/02–22/02/2026)'),
  ('2026-02-20', 'holiday', 'Tết Nguyên đán (mùng 4)', 'Lunar New Year (4th day)', 'BLLĐ 2019, Điều 112(1)(b); lịch nghỉ Tết Bính Ngọ 2026 của Bộ Nội vụ (nghỉ 14/02–22/02/2026)'),
  ('2026-04-26', 'holiday', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hùng Kings'' Commemoration (10th of the 3rd lunar month)', 'BLLĐ 2019, Điều 112(1)(đ)'),
  ('2026-04-27', 'compensatory', 'Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật)', 'Compensatory day off (Hùng Kings'' day fell on a Sunday)', 'BLLĐ 2019, Điều 111(3)'),
  ('2026-04-30', 'holiday', 'Ngày Chiến thắng', 'Reunification Day', 'BLLĐ 2019, Điều 112(1)(c)'),
  ('2026-05-01', 'holiday', 'Ngày Quốc tế lao động', 'International Labour Day', 'BLLĐ 2019, Điều 112(1)(d)'),
  ('2026-09-01', 'holiday', 'Quốc khánh (ngày liền kề)', 'National Day (adjacent day)', 'BLLĐ 2019, Điều 112(1)(e); ngày liền kề do Thủ tướng quyết định (Điều 112(3))'),
  ('2026-09-02', 'holiday', 'Quốc khánh', 'National Day', 'BLLĐ 2019, Điều 112(1)(e)'),
  ('2027-01-01', 'holiday', 'Tết Dương lịch', 'New Year''s Day', 'BLLĐ 2019, Điều 112(1)(a)'),
  ('2027-02-05', 'holiday', 'Tết Nguyên đán (30 tháng Chạp)', 'Lunar New Year (New Year''s Eve)', 'BLLĐ 2019, Điều 112(1)(b); theo luật, chờ thông báo của Chính phủ về Tết Đinh Mùi 2027'),
  ('2027-02-06', 'holiday', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year (1st day)', 'BLLĐ 2019, Điều 112(1)(b); theo luật, chờ thông báo của Chính phủ về Tết Đinh Mùi 2027'),
  ('2027-02-07', 'holiday', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (2nd day)', 'BLLĐ 2019, Điều 112(1)(b); theo luật, chờ thông báo của Chính phủ về Tết Đinh Mùi 2027'),
  ('2027-02-08', 'holiday', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (3rd day)', 'BLLĐ 2019, Điều 112(1)(b); theo luật, chờ thông báo của Chính phủ về Tết Đinh Mùi 2027'),
  ('2027-02-09', 'holiday', 'Tết Nguyên đán (mùng 4)', 'Lunar New Year (4th day)', 'BLLĐ 2019, Điều 112(1)(b); theo luật, chờ thông báo của Chính phủ về Tết Đinh Mùi 2027'),
  ('2027-02-10', 'compensatory', 'Nghỉ bù Tết (mùng 1 trùng thứ Bảy)', 'Compensatory day off (Tết fell on a Saturday)', 'BLLĐ 2019, Điều 111(3); chờ thông báo của Chính phủ'),
  ('2027-02-11', 'compensatory', 'Nghỉ bù Tết (mùng 2 trùng Chủ nhật)', 'Compensatory day off (Tết fell on a Sunday)', 'BLLĐ 2019, Điều 111(3); chờ thông báo của Chính phủ'),
  ('2027-04-16', 'holiday', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hùng Kings'' Commemoration (10th of the 3rd lunar month)', 'BLLĐ 2019, Điều 112(1)(đ)'),
  ('2027-04-30', 'holiday', 'Ngày Chiến thắng', 'Reunification Day', 'BLLĐ 2019, Điều 112(1)(c)'),
  ('2027-05-01', 'holiday', 'Ngày Quốc tế lao động', 'International Labour Day', 'BLLĐ 2019, Điều 112(1)(d)'),
  ('2027-05-03', 'compensatory', 'Nghỉ bù Ngày Quốc tế lao động (trùng thứ Bảy)', 'Compensatory day off (Labour Day fell on a Saturday)', 'BLLĐ 2019, Điều 111(3)'),
  ('2027-09-02', 'holiday', 'Quốc khánh', 'National Day', 'BLLĐ 2019, Điều 112(1)(e)'),
  ('2027-09-03', 'holiday', 'Quốc khánh (ngày liền kề)', 'National Day (adjacent day)', 'BLLĐ 2019, Điều 112(1)(e); theo luật, chờ quyết định của Thủ tướng (Điều 112(3))');

-- A data subject's request under Law 91/2025/QH15 and Decree 356/2025/NĐ-CP, one row per agency it went to (a
-- filing reaches every agency that holds or read the person's data; each answers on its own clock). The person is
-- the public user who filed it and the exchange's keyed hash (never the id number). The due instants are written
-- when a step changes them, so the overdue list is one indexed query.
create table privacy_requests (
  id uuid primary key,
  filing_id uuid not null,
  public_user_id uuid not null references public_users(id),
  subject_hash text not null,
  subject_name text not null,
  agency_id uuid not null references agencies(id),
  why text not null check (why in ('holds', 'read', 'holds_and_read')),
  kind text not null check (kind in ('access', 'correction', 'deletion', 'restriction', 'objection', 'withdraw_consent')),
  details text not null,
  status text not null check (status in ('received', 'acknowledged', 'extended', 'completed', 'refused')),
  received_at timestamptz not null default now(),
  acknowledge_due timestamptz not null,
  complete_due timestamptz not null,
  third_party boolean not null default false,
  acknowledged_at timestamptz,
  extension_days integer check (extension_days between 1 and 15),
  extension_reason text,
  closed_at timestamptz,
  outcome text,
  check ((extension_days is null) = (extension_reason is null))
);
create index privacy_requests_person on privacy_requests (public_user_id, received_at desc);
create index privacy_requests_agency on privacy_requests (agency_id, received_at desc);
create index privacy_requests_open on privacy_requests (complete_due) where closed_at is null;
`;
