/**
 * lru-cache only hides an entry once its ttl has passed; this drops such entries every minute, so
 * what is past its time is not kept in memory either. Returns the function that stops it.
 */
export function ruimVerlopenOp(cache: { purgeStale(): boolean }, elkeMs = 60_000): () => void {
  const timer = setInterval(() => cache.purgeStale(), elkeMs);
  timer.unref();
  return () => clearInterval(timer);
}
