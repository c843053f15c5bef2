/**
 * The sign-in link e-mail, in Vietnamese then English (the address does not tell which language its owner reads).
 * `known`: the address has an account (the link signs in) or not (the link makes the account).
 */
export function signInLinkMail(o: { link: string; minutes: number; known: boolean }): {
  subject: string;
  text: string;
} {
  const vi = o.known
    ? 'Bạn (hoặc ai đó) vừa yêu cầu đăng nhập Cổng dữ liệu quốc gia bằng địa chỉ email này.'
    : 'Bạn (hoặc ai đó) vừa đăng ký tài khoản Cổng dữ liệu quốc gia bằng địa chỉ email này.';
  const en = o.known
    ? 'You (or someone) asked to sign in to the National Data Portal with this e-mail address.'
    : 'You (or someone) signed up for the National Data Portal with this e-mail address.';
  return {
    subject: o.known
      ? 'Liên kết đăng nhập Cổng dữ liệu quốc gia / Your sign-in link'
      : 'Xác nhận đăng ký Cổng dữ liệu quốc gia / Confirm your sign-up',
    text: [
      vi,
      `Mở liên kết sau trong ${o.minutes} phút để tiếp tục (chỉ dùng được một lần):`,
      o.link,
      'Nếu không phải bạn, hãy bỏ qua email này.',
      '',
      en,
      `Open this link within ${o.minutes} minutes to go on (it works once):`,
      o.link,
      'If it was not you, ignore this e-mail.',
    ].join('\n'),
  };
}
