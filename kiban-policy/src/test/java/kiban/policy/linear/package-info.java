/**
 * A policy type the tests register as a new type arrives: one package holding its network, its
 * settings and its provider, listed in the tests' {@code META-INF/services/kiban.policy.model.PolicyType},
 * with no line of shared code naming it.
 */
package kiban.policy.linear;
