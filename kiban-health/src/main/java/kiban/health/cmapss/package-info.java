/**
 * NASA's C-MAPSS turbofan degradation files (../shared/specs/cmapss.md): a validating reader for
 * the training and test files (26 space-separated columns, one row per engine cycle) and for the
 * true remaining useful life of the test units. Every error names the file, the line and the column.
 */
package kiban.health.cmapss;
