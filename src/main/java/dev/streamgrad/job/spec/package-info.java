/**
 * Job specs: the YAML files under {@code jobs/} parsed into immutable, validated spec records. Every
 * error names the file and the key path and is raised before a job starts.
 */
package dev.streamgrad.job.spec;
