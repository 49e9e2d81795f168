/**
 * Remaining useful life on C-MAPSS: the standard preprocessing ({@link kiban.health.rul.RulFeatures}:
 * constant sensors dropped, normalisation per operating condition fitted on training units;
 * {@link kiban.health.rul.RulWindows}: sliding windows with the piecewise-linear target capped at
 * 125), the networks (a 1-D CNN, an LSTM, a small transformer, a linear baseline), their training
 * with early stopping on held-out training units, and the evaluation (RMSE, the PHM08 score, an
 * HTML report). docs/HEALTH.md says how the choices were made.
 */
package kiban.health.rul;
