/**
 * Caches of decoded data reused across runs: {@link kiban.data.cache.FrameCache}, one camera's
 * video frames decoded once into a memory-mapped file of raw bytes, keyed by the videos' hash.
 */
package kiban.data.cache;
