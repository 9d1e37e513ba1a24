using System;

namespace BackupTools.Waiting
{
    /// <summary>
    /// When an operation started, as an interval on this machine's clock. The module knows when it sent
    /// the create and when the answer came (the service started the operation in between, and that
    /// needs no agreement between clocks); the service says when it started, but GaussDB only to the
    /// whole second. The window is what both allow.
    /// </summary>
    public readonly struct StartWindow
    {
        public StartWindow(DateTimeOffset earliest, DateTimeOffset latest)
        {
            Earliest = earliest <= latest ? earliest : latest;
            Latest = earliest <= latest ? latest : earliest;
        }

        public DateTimeOffset Earliest { get; }

        public DateTimeOffset Latest { get; }

        public TimeSpan Width => Latest - Earliest;

        /// <summary>The window from the create's round trip, or null when the operation was not created in this session.</summary>
        public static StartWindow? FromCreate(DateTimeOffset? sentAt, DateTimeOffset? answeredAt) =>
            sentAt.HasValue && answeredAt.HasValue && answeredAt.Value >= sentAt.Value ? new StartWindow(sentAt.Value, answeredAt.Value) : (StartWindow?)null;

        /// <summary>
        /// The window a service's start time allows: a time written to <paramref name="resolution"/>
        /// (GaussDB: 1 s) may have been cut or rounded, so the start lies from half a unit before it to
        /// a whole unit after it.
        /// </summary>
        public static StartWindow FromService(DateTimeOffset start, TimeSpan resolution) =>
            new StartWindow(start - TimeSpan.FromTicks(resolution.Ticks / 2), start + resolution);

        /// <summary>
        /// What both windows allow. When they do not overlap the two clocks disagree; ages are measured
        /// on this machine's clock, so the create's window wins.
        /// </summary>
        public static StartWindow? Combine(StartWindow? create, StartWindow? service)
        {
            if (!create.HasValue || !service.HasValue)
            {
                return create ?? service;
            }

            var earliest = create.Value.Earliest > service.Value.Earliest ? create.Value.Earliest : service.Value.Earliest;
            var latest = create.Value.Latest < service.Value.Latest ? create.Value.Latest : service.Value.Latest;
            return earliest <= latest ? new StartWindow(earliest, latest) : create;
        }
    }

    /// <summary>
    /// Implemented by operation objects a create cmdlet emits: when this session sent the create and
    /// when its answer came, so the waiter can date the start without trusting the service's clock.
    /// </summary>
    public interface ICreateTimes
    {
        DateTimeOffset? CreateSentAt { get; }

        DateTimeOffset? CreateAnsweredAt { get; }
    }
}
