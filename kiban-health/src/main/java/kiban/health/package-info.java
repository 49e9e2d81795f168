/**
 * Machine health from real sensor data: remaining-useful-life models (NASA C-MAPSS), failure
 * classifiers (UCI robot execution failures), and the online watch that turns a machine's
 * readings into estimates, alarms and maintenance requests.
 */
package kiban.health;
