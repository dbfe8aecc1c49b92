/** Replaces the database name in a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Replaces the user and password in a PostgreSQL URL. */
export function withUser(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** The URL the ORM connects with, for the few workers that hold a connection of their own (listener, token door, refresher). */
export function connectionUrlOf(orm: { config: { get(key: 'clientUrl'): string | undefined } }): string {
  const url = orm.config.get('clientUrl');
  if (!url) throw new Error('The ORM was configured without a clientUrl');
  return url;
}
