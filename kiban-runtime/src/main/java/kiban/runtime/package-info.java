/**
 * Kiban's deployment runtime: a fixed-rate control loop ({@code loop/}) that reads a
 * {@link kiban.core.machine.Machine}, runs a {@link kiban.core.policy.Policy} asynchronously and
 * executes its action chunks, passing every command through the safety shield ({@code shield/});
 * the in-process simulator as a machine ({@code sim/}); deployment recording as LeRobot episodes
 * ({@code record/}); and the loop's jitter benchmark ({@code bench/}).
 */
package kiban.runtime;
