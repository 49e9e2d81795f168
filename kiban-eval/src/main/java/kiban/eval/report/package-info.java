/**
 * Self-contained HTML reports: inline SVG plots and base64 GIF animations, no scripts, fonts or
 * other files, so a report opens anywhere, offline, and can be mailed as one file.
 */
package kiban.eval.report;
