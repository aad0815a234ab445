// The round badges beside a name: a model's short label (its `avatar`), a person's picture or initial.
/** A model's short label (its `avatar`, e.g. "G"), else its name's first letter. */
export function avatarText(avatar: string | null | undefined, name: string): string {
  return avatar?.trim() || name.slice(0, 1).toUpperCase();
}

export function PersonAvatar({ name, avatarUrl }: { name: string; avatarUrl: string | null | undefined }) {
  return avatarUrl ? (
    <img className="person-avatar" src={avatarUrl} alt="" />
  ) : (
    <span className="person-avatar" aria-hidden="true">
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
