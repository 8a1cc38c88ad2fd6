// A value or a promise of it: what a hook or a user function may return.

export type Awaitable<T> = T | Promise<T>;
