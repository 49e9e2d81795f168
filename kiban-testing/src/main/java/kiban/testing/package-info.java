/** Fixtures for tests across modules; never a dependency of production code. */
package kiban.testing;
