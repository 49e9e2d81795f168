/** Progress reporting for long jobs: a bar with rate and ETA on a terminal, periodic lines elsewhere. */
package kiban.core.progress;
