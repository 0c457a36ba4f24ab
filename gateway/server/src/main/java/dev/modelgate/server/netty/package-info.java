/** The Netty I/O transport (native epoll or NIO) shared by the server's listeners and clients. */
package dev.modelgate.server.netty;
