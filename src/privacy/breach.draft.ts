/**
 * The notification of a personal-data breach to the supervisor, drafted from what the platform knows, in Vietnamese
 * and English; the agency completes what only it knows (marked […]) before sending. Its items are those the law asks
 * a notification to hold (Law 91/2025/QH15, detailed by Decree 356/2025/NĐ-CP; Decree 13/2023/NĐ-CP Art. 23(3) before
 * them): what happened, when and where; the kinds of personal data and how many people; whom to contact; the likely
 * consequences; the measures taken; and why, if it comes after 72 hours.
 */
/** An agency's names from the master data: the English one is null where it has none. */
export interface AgencyName {
  vi: string;
  en: string | null;
}

export interface BreachFacts {
  agency: AgencyName;
  detectedAt: Date;
  windowFrom: Date;
  windowUntil: Date;
  description: string;
  services: { id: string; title: string }[];
  /** the personal-data categories of the fields the services declare, with their labels */
  categories: { level: 'basic' | 'sensitive'; vi: string; en: string }[];
  people: number;
  reads: number;
}

const TIME: Intl.DateTimeFormatOptions = {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Asia/Ho_Chi_Minh',
};
const when = { vi: new Intl.DateTimeFormat('vi-VN', TIME), en: new Intl.DateTimeFormat('en-GB', TIME) };
/** 07/12/2026 14:05 (Vietnam time) in both languages, day first: the draft's times, and the breach pages'. */
export const formatBreachTime = (d: Date | string, lang: 'vi' | 'en') =>
  when[lang].format(typeof d === 'string' ? new Date(d) : d);
const count = { vi: new Intl.NumberFormat('vi-VN'), en: new Intl.NumberFormat('en-GB') };

export function draftNotification(f: BreachFacts): { vi: string; en: string } {
  const services = f.services.map((s) => `${s.id} (${s.title})`).join('; ');
  const kinds = (lang: 'vi' | 'en', level: 'basic' | 'sensitive') =>
    f.categories
      .filter((c) => c.level === level)
      .map((c) => c[lang])
      .join('; ');
  const t = (lang: 'vi' | 'en', d: Date) => when[lang].format(d);
  const vi = [
    'THÔNG BÁO VI PHẠM QUY ĐỊNH VỀ BẢO VỆ DỮ LIỆU CÁ NHÂN',
    `Kính gửi: Cơ quan chuyên trách bảo vệ dữ liệu cá nhân`,
    `Cơ quan thông báo: ${f.agency.vi}`,
    '',
    '1. Mô tả vi phạm',
    `- Thời điểm phát hiện: ${t('vi', f.detectedAt)} (giờ Việt Nam).`,
    `- Khoảng thời gian có thể đã xảy ra: từ ${t('vi', f.windowFrom)} đến ${t('vi', f.windowUntil)}.`,
    `- Diễn biến: ${f.description}`,
    `- Hệ thống, dịch vụ bị ảnh hưởng (trên nền tảng chia sẻ, tích hợp dữ liệu): ${services}.`,
    '',
    '2. Loại và số lượng dữ liệu cá nhân liên quan',
    `- Dữ liệu cá nhân cơ bản: ${kinds('vi', 'basic') || 'chưa khai báo'}.`,
    `- Dữ liệu cá nhân nhạy cảm: ${kinds('vi', 'sensitive') || 'không có trong các trường đã khai báo'}.`,
    `- Số chủ thể dữ liệu có dữ liệu do các dịch vụ trên trả về trong khoảng thời gian: ${count.vi.format(f.people)} người (${count.vi.format(f.reads)} lượt), theo nhật ký truy cập của nền tảng.`,
    '',
    '3. Người phụ trách bảo vệ dữ liệu cá nhân: […họ tên, chức vụ, điện thoại, thư điện tử…]',
    '4. Hậu quả, thiệt hại có thể xảy ra: […]',
    '5. Biện pháp đã và sẽ thực hiện để xử lý, giảm thiểu tác hại: […]',
    '6. Lý do thông báo sau 72 giờ kể từ khi phát hiện (nếu có): […]',
  ].join('\n');
  const en = [
    'NOTIFICATION OF A PERSONAL DATA PROTECTION BREACH',
    'To: the personal data protection authority',
    `Notifying agency: ${f.agency.en ?? f.agency.vi}`,
    '',
    '1. Description of the breach',
    `- Detected: ${t('en', f.detectedAt)} (Vietnam time).`,
    `- May have occurred between ${t('en', f.windowFrom)} and ${t('en', f.windowUntil)}.`,
    `- What happened: ${f.description}`,
    `- Systems and services affected (on the data sharing and integration platform): ${services}.`,
    '',
    '2. Kinds and amount of personal data concerned',
    `- Basic personal data: ${kinds('en', 'basic') || 'none declared'}.`,
    `- Sensitive personal data: ${kinds('en', 'sensitive') || 'none among the declared fields'}.`,
    `- Data subjects whose data these services returned in the window: ${count.en.format(f.people)} people (${count.en.format(f.reads)} reads), from the platform's access records.`,
    '',
    '3. Person in charge of personal data protection: […name, position, phone, e-mail…]',
    '4. Likely consequences and harm: […]',
    '5. Measures taken and planned to address the breach and limit its harm: […]',
    '6. Why the notification comes more than 72 hours after detection (if it does): […]',
  ].join('\n');
  return { vi, en };
}
