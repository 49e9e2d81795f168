/**
 * The safety shield every command passes through before it reaches a machine: limits of the
 * embodiment's envelope, watchdog, e-stop latch and fallback, with every intervention counted and
 * reported with the command before and after.
 */
package kiban.runtime.shield;
