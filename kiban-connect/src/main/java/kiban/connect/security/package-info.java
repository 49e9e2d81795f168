/**
 * Keys and certificates from files, shared by the OPC UA and MQTT adapters: X.509 certificates in
 * PEM or DER, private keys in PEM, each read with an error that names the file and what it holds
 * instead ({@link kiban.connect.security.KeyFiles}).
 */
package kiban.connect.security;
