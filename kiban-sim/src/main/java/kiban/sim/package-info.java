/** Kiban's simulators: manipulation (PushT, UR5e), highway driving and a factory cell. */
package kiban.sim;
