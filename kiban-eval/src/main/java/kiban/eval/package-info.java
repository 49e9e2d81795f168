/**
 * Evaluation of any {@link kiban.core.policy.Policy} in Kiban's simulators on fixed seeds, with
 * confidence intervals, and self-contained HTML reports. Models are seen only through the
 * core policy interface.
 */
package kiban.eval;
