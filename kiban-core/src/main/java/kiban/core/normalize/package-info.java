/**
 * Feature normalisation as LeRobot does it: mean/std, min/max and q01/q99 quantile modes, saved
 * and loaded together with the statistics they were fitted on.
 */
package kiban.core.normalize;
