/** Types every Kiban module shares: embodiment specs, feature normalisation and typed errors. */
package kiban.core;
