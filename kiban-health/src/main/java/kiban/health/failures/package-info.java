/**
 * Failure classification on UCI's Robot Execution Failures data: the validated reader of its five
 * learning problems ({@code lp1.data} to {@code lp5.data}), stratified cross-validation of a small
 * DJL network against simple baselines, confusion matrices, and the run folder and report that
 * {@code kiban health train} and {@code kiban health eval} write and read.
 */
package kiban.health.failures;
