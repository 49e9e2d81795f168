/** The control loop's jitter benchmark behind {@code kiban bench loop}. */
package kiban.runtime.bench;
