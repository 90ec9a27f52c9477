using DocExtract.Contracts;
using RabbitMQ.Client;

namespace DocExtract.Operations.Messaging;

/// <summary>
/// A plain RabbitMQ.Client connection made from the same <c>RabbitMq</c> settings MassTransit's bus uses, for the few
/// things MassTransit does not do: reading a queue's depth (the API's metrics) and declaring the delay queues (the
/// worker's delayed redelivery).
/// </summary>
public static class RabbitMqConnections
{
    /// <param name="clientName">How the connection is named in RabbitMQ's own listings, e.g. docextract-api-metrics.</param>
    public static Task<IConnection> ConnectAsync(this RabbitMqOptions rabbit, string clientName, CancellationToken cancellationToken) =>
        new ConnectionFactory
        {
            HostName = rabbit.Host,
            Port = rabbit.Port,
            VirtualHost = rabbit.VirtualHost,
            UserName = rabbit.Username,
            Password = rabbit.Password,
            ClientProvidedName = clientName,
        }.CreateConnectionAsync(cancellationToken);
}
