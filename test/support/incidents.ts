// Reports of one outage in the words different people use: enough of them, from different people, make an incident.
export const VPN_DOWN = [
  ['VPN down', 'The VPN is down, I cannot connect to the VPN from home since 9am.'],
  ['Cannot connect to VPN', 'VPN connection fails every time, the VPN is down for me and my team.'],
  ['VPN not working', 'Since this morning the VPN does not connect, it says the VPN gateway is unreachable.'],
  ['VPN is down again', 'I cannot connect to the company VPN at all, it keeps failing to connect.'],
  ['No VPN connection', 'The VPN will not connect this morning, VPN down for everyone on my floor?'],
  ['VPN connection failing', 'VPN is down: connecting to the VPN fails with a timeout.'],
];
