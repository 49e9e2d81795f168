# Reference trajectory from highway-env (Farama HighwayEnv 07b824f9) for HighwayReferenceTest.
# Run with PYTHONPATH at an export of HighwayEnv 07b824f9 whose highway_env/__init__.py is emptied
# (it imports gymnasium, which these classes do not need); needs numpy only.
import numpy as np
from highway_env.road.road import Road, RoadNetwork
from highway_env.vehicle.kinematics import Vehicle
from highway_env.vehicle.behavior import IDMVehicle

road = Road(network=RoadNetwork.straight_road_network(4, speed_limit=30), np_random=np.random.RandomState(0))
ego = Vehicle(road, [50.0, 4.0], 0.0, 25.0)
road.vehicles.append(ego)
spec = [  # x, lane, speed, delta
    (80.0, 1, 18.0, 4.0), (75.0, 2, 22.0, 3.7), (120.0, 1, 21.0, 4.3), (60.0, 0, 24.0, 3.9),
    (140.0, 3, 20.0, 4.1), (30.0, 2, 27.0, 3.6), (100.0, 0, 19.0, 4.4), (160.0, 2, 23.0, 3.8),
    (10.0, 1, 26.0, 4.2), (200.0, 1, 15.0, 4.0),
]
for x, lane, v, d in spec:
    veh = IDMVehicle(road, [x, 4.0 * lane], 0.0, v)
    veh.DELTA = d
    road.vehicles.append(veh)
ego.act({"acceleration": 0.5, "steering": 0.0})
for k in range(300):
    road.act()
    road.step(1 / 15)
for v in road.vehicles:
    print("{%r, %r, %r, %r, %d, %d}," % (float(v.position[0]), float(v.position[1]), float(v.heading), float(v.speed),
          v.lane_index[2], int(v.crashed)))
