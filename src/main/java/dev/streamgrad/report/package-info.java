/**
 * The training report ({@code streamgrad report}): reads the filter snapshots a run wrote into one
 * {@link dev.streamgrad.report.ModelHistory} per model (loss series, events, parameters by version)
 * and renders them as one self-contained HTML page of Apache ECharts charts.
 */
package dev.streamgrad.report;
