-- How fast this installation's renders go, stage by stage and by picture size, learned from the
-- renders that finished (seconds per unit: per second of speech, per template frame or per output
-- frame). Progress bars and times left come from it, not from fixed shares.
create table render_pace (
    stage            varchar(24) not null,
    size_class       int         not null,
    seconds_per_unit double precision not null,
    samples          int         not null,
    updated_at       timestamp with time zone not null,
    primary key (stage, size_class)
);
