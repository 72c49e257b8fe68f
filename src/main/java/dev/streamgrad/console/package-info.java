/**
 * Text for a terminal: values that come from records or files (model names, reasons, messages) are
 * printed with control characters escaped and long values cut, so that no record can flood the
 * console or forge a line of its own.
 */
package dev.streamgrad.console;
