/**
 * End-to-end benchmarks run by {@code kiban bench}. They measure; they never assert. Figures go
 * to docs/PERFORMANCE.md with the machine and the command that produced them.
 */
package kiban.bench;
