// The parts of rabbitmq-c (librabbitmq, Debian package librabbitmq-dev) the AMQP module uses,
// plus inline shims for what Swift cannot call directly.
#ifndef NPQ_CRABBITMQ_SHIM_H
#define NPQ_CRABBITMQ_SHIM_H

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>
#include <sys/eventfd.h>
#include <poll.h>

/// amqp_login is variadic, which Swift cannot call: log in with SASL PLAIN and client properties.
static inline amqp_rpc_reply_t npq_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                    int channel_max, int frame_max, int heartbeat,
                                                    const amqp_table_t *client_properties,
                                                    const char *user, const char *password) {
    return amqp_login_with_properties(state, vhost, channel_max, frame_max, heartbeat, client_properties,
                                      AMQP_SASL_METHOD_PLAIN, user, password);
}

/// SASL EXTERNAL (identity taken from the client certificate); the identity argument is the login.
static inline amqp_rpc_reply_t npq_amqp_login_external(amqp_connection_state_t state, const char *vhost,
                                                       int channel_max, int frame_max, int heartbeat,
                                                       const amqp_table_t *client_properties,
                                                       const char *identity) {
    return amqp_login_with_properties(state, vhost, channel_max, frame_max, heartbeat, client_properties,
                                      AMQP_SASL_METHOD_EXTERNAL, identity);
}

/// Accessors for the decoded method payload, which Swift sees only as an opaque pointer.
static inline amqp_basic_deliver_t *npq_as_basic_deliver(void *m) { return (amqp_basic_deliver_t *)m; }
static inline amqp_basic_ack_t *npq_as_basic_ack(void *m) { return (amqp_basic_ack_t *)m; }
static inline amqp_basic_nack_t *npq_as_basic_nack(void *m) { return (amqp_basic_nack_t *)m; }
static inline amqp_basic_return_t *npq_as_basic_return(void *m) { return (amqp_basic_return_t *)m; }
static inline amqp_channel_close_t *npq_as_channel_close(void *m) { return (amqp_channel_close_t *)m; }
static inline amqp_connection_close_t *npq_as_connection_close(void *m) { return (amqp_connection_close_t *)m; }
static inline amqp_basic_cancel_t *npq_as_basic_cancel(void *m) { return (amqp_basic_cancel_t *)m; }

#endif
