/**
 * Embodiment specs: what a machine observes, what it can be commanded to do, at what rate, and
 * the safety envelope the runtime enforces around it. Built-ins ship as YAML resources and user
 * specs load from YAML or JSON files through the same validating reader.
 */
package kiban.core.embodiment;
