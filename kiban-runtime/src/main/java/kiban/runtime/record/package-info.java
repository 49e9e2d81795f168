/**
 * Deployment recording: what the loop observed, what the policy proposed, what the shield sent
 * and why, as LeRobot v3.0 episodes that {@code kiban train} reads for fine-tuning.
 */
package kiban.runtime.record;
