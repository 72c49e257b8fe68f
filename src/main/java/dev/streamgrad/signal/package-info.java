/** numpy/scipy-compatible signal kernels: real 2-D FFTs and 2-D correlation/convolution. */
package dev.streamgrad.signal;
