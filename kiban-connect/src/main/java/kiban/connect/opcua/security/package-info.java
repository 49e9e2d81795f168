/**
 * OPC UA security for the client ({@link kiban.connect.opcua.OpcUaMachine}) and the simulated
 * machine ({@link kiban.connect.opcua.SimOpcUaServer}): the secure channel's policy and mode
 * ({@link kiban.connect.opcua.security.ChannelSecurity}), the user's login
 * ({@link kiban.connect.opcua.security.Login}), and the PKI folder that holds this application's
 * certificate and the peers it trusts or rejected ({@link kiban.connect.opcua.security.Pki}).
 */
package kiban.connect.opcua.security;
