/** What the e-ID and ndp agree on beyond OpenID Connect: the scope that releases the id number, and its claim. */
export const ID_NUMBER_SCOPE = 'cccd';
