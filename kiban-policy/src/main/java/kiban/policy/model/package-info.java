/**
 * The policy networks: behaviour cloning by regression ({@code mlp}), a flow-matching action
 * head ({@code flow}, pi0-style, about ten Euler steps at inference) and an ACT-style transformer
 * ({@code act}, L1 loss, run with temporal ensembling), and diffusion ({@code diffusion}). Each maps an
 * encoded, normalised observation history, with camera frames where the policy reads them
 * ({@link kiban.policy.model.ObservationLayout}), to a normalised action chunk.
 *
 * <p>Policy types are a registry ({@link kiban.policy.model.PolicyTypes}): each is a
 * {@link kiban.policy.model.PolicyType} provider listed in
 * {@code META-INF/services/kiban.policy.model.PolicyType}, with its own settings record
 * ({@link kiban.policy.model.PolicyConfig}) that it reads from and writes to the config file, and
 * the network it builds. {@link kiban.policy.model.Networks} builds a config's network through it.
 */
package kiban.policy.model;
