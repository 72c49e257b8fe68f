/**
 * Reading job spec sections, for the spec parser and for every component that configures itself
 * from its own section (layers, optimizers): typed accessors and one error format naming the file
 * and the full key path, which the CLI turns into exit code 2.
 */
package dev.streamgrad.config;

