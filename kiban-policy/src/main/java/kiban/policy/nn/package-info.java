/** DJL building blocks shared by the policy models. */
package kiban.policy.nn;
