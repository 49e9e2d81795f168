# Second reference scene: 30 IDM vehicles, 40 s, the ego changing lanes with piecewise actions.
# Run with PYTHONPATH at an export of HighwayEnv 07b824f9 whose highway_env/__init__.py is emptied
# (it imports gymnasium, which these classes do not need); needs numpy only.
import numpy as np
from highway_env.road.road import Road, RoadNetwork
from highway_env.vehicle.kinematics import Vehicle
from highway_env.vehicle.behavior import IDMVehicle

road = Road(network=RoadNetwork.straight_road_network(4, speed_limit=30), np_random=np.random.RandomState(0))
ego = Vehicle(road, [0.0, 8.0], 0.0, 25.0)
road.vehicles.append(ego)
for i in range(30):
    veh = IDMVehicle(road, [20.0 + 17.0 * i, 4.0 * ((i * 7) % 4)], 0.0, 20.0 + (i * 13) % 7)
    veh.DELTA = 3.5 + (i % 5) * 0.25
    road.vehicles.append(veh)

def action(step):
    # Accelerate, drift one lane left, straighten, then brake gently.
    if step < 20:
        return 1.0, 0.0
    if step < 23:
        return 0.0, -0.03125
    if step < 26:
        return 0.0, 0.03125
    if step < 60:
        return 0.5, 0.0
    return -0.5, 0.0

for k in range(600):
    if k == 150:
        # Kinematics rows (presence, x, y, vx, vy relative to the ego, unnormalised) at 10 s.
        for v in road.close_vehicles_to(ego, 200.0, count=5, see_behind=False, sort=True):
            d = v.to_dict(ego)
            print("obs {%r, %r, %r, %r}," % (float(d["x"]), float(d["y"]), float(d["vx"]), float(d["vy"])))
    if k % 3 == 0:
        a, s = action(k // 3)
        ego.act({"acceleration": a, "steering": s})
    road.act()
    road.step(1 / 15)
for v in road.vehicles:
    print("{%r, %r, %r, %r, %d, %d}," % (float(v.position[0]), float(v.position[1]), float(v.heading), float(v.speed),
          v.lane_index[2], int(v.crashed)))
