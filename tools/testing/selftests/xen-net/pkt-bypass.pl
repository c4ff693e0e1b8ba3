#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# pkt-bypass.pl DEV DST_MAC SRC_IP DST_IP COUNT: send COUNT UDP/IPv4
# frames (to port 9, from ports 20000 up, one flow each) out of DEV
# through an AF_PACKET socket with PACKET_QDISC_BYPASS. Such a socket
# calls the driver's ndo_select_queue itself, with bottom halves
# enabled, then the driver's transmit directly (no qdisc): a per-CPU
# cache in ndo_select_queue must not assume it cannot be preempted
# there. A busy queue is
# retried for up to 5 s per frame. Prints "sent N"; exits 1 when not
# every frame was sent. Plain perl-base: dom0's image has no more.
use strict;
use warnings;
use Socket qw(SOCK_RAW);

my ($dev, $dmac, $sip, $dip, $count) = @ARGV;
die "usage: pkt-bypass.pl DEV DST_MAC SRC_IP DST_IP COUNT\n"
	unless defined $count && $count =~ /^\d+$/;

my $AF_PACKET = 17;
my $SOL_PACKET = 263;
my $PACKET_QDISC_BYPASS = 20;
my $ETH_P_IP = 0x0800;

sub slurp {
	my ($f) = @_;
	open(my $h, '<', $f) or die "pkt-bypass: $f: $!\n";
	my $v = <$h>;
	close($h);
	chomp $v;
	return $v;
}

sub mac_bytes { return pack('C6', map { hex } split(/:/, $_[0])); }
sub ip_bytes { return pack('C4', split(/\./, $_[0])); }

sub csum {
	my ($data) = @_;
	my $sum = 0;
	$sum += $_ for unpack('n*', $data);
	$sum = ($sum & 0xffff) + ($sum >> 16) while $sum >> 16;
	return ~$sum & 0xffff;
}

my $ifindex = slurp("/sys/class/net/$dev/ifindex");
my $smac = slurp("/sys/class/net/$dev/address");

socket(my $s, $AF_PACKET, SOCK_RAW, 0) or die "pkt-bypass: socket: $!\n";
setsockopt($s, $SOL_PACKET, $PACKET_QDISC_BYPASS, pack('i', 1))
	or die "pkt-bypass: PACKET_QDISC_BYPASS: $!\n";
# struct sockaddr_ll: family, protocol (big endian), ifindex, hatype,
# pkttype, halen, addr[8].
my $to = pack('S n i S C C a8', $AF_PACKET, $ETH_P_IP, $ifindex, 0, 0, 6,
	      mac_bytes($dmac));

my $payload = 'x' x 32;
my $sent = 0;
for my $i (0 .. $count - 1) {
	my $udp = pack('n n n n', 20000 + $i % 20000, 9, 8 + length($payload), 0) .
		  $payload;
	my $iph = pack('C C n n n C C n a4 a4', 0x45, 0, 20 + length($udp),
		       $i & 0xffff, 0x4000, 64, 17, 0, ip_bytes($sip), ip_bytes($dip));
	substr($iph, 10, 2) = pack('n', csum($iph));
	my $frame = mac_bytes($dmac) . mac_bytes($smac) . pack('n', $ETH_P_IP) .
		    $iph . $udp;
	my $tries = 0;
	until (defined send($s, $frame, 0, $to)) {
		# ENOBUFS: the queue was stopped; the bypass has no qdisc.
		last if ++$tries > 5000;
		select(undef, undef, undef, 0.001);
	}
	$sent++ if $tries <= 5000;
}
print "sent $sent\n";
exit($sent == $count ? 0 : 1);
